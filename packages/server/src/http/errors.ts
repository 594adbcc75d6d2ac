import { ParleyError, httpStatusOf, type ErrorReply } from '@parley/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';

/** Turn zod issues into short `path: message` lines a person can act on. */
export function describeIssues(error: ZodError): string[] {
  return error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
}

/** The 404 body for a path nothing serves. */
export function notFoundBody(method: string, url: string): ErrorReply {
  return { error: { code: 'not_found', message: `No route for ${method} ${url.split('?')[0]}.` } };
}

/**
 * The one place errors become responses. Typed errors keep their code and message; validation errors
 * list their issues; anything else is a 500 whose details stay in the log.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | ParleyError | ZodError, request, reply) => {
    let body: ErrorReply;
    let status: number;
    if (error instanceof ParleyError) {
      status = httpStatusOf[error.code];
      body = { error: { code: error.code, message: error.message } };
    } else if (error instanceof ZodError) {
      status = 400;
      body = { error: { code: 'invalid_message', message: 'The request is not valid.', issues: describeIssues(error) } };
    } else if (error.statusCode === 429) {
      status = 429;
      body = { error: { code: 'rate_limited', message: 'Too many requests; try again shortly.' } };
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      body = { error: { code: 'invalid_message', message: error.message } };
    } else {
      request.log.error({ err: error }, 'request failed');
      status = 500;
      body = { error: { code: 'internal', message: 'Something went wrong on the server.' } };
    }
    void reply.status(status).send(body);
  });
}
