import { z } from 'zod';
import { ErrorReply } from '@parley/protocol';

/** Pieces of OpenAPI operations built from the protocol's zod schemas (the routes validate with the same). */

/** A JSON content map for a schema, as the client sends it (`input`) or the server answers (`output`). */
export const json = (schema: z.ZodType, io: 'input' | 'output' = 'output') => ({ 'application/json': { schema: z.toJSONSchema(schema, { io, unrepresentable: 'any' }) } });
/** An error response (the one error body). */
export const error = (description: string) => ({ description, content: json(ErrorReply) });
/** A required JSON request body. */
export const body = (schema: z.ZodType) => ({ required: true, content: json(schema, 'input') });
/** A JSON success response. */
export const ok = (schema: z.ZodType, description = 'OK') => ({ description, content: json(schema) });
/** A response without a body. */
export const noContent = { description: 'Done' };
/** A path parameter. */
export const param = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
/** An optional query parameter. */
export const query = (name: string) => ({ name, in: 'query', required: false, schema: { type: 'string' } });
