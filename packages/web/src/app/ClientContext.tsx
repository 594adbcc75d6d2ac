import { createContext, useContext, type ReactNode } from 'react';
import type { ParleyClient } from '@parley/client';

const ClientContext = createContext<ParleyClient | null>(null);

/** Makes the tab's one {@link ParleyClient} available to every feature. */
export function ClientProvider({ client, children }: { client: ParleyClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The tab's {@link ParleyClient}. */
export function useClient(): ParleyClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useClient() used outside <ClientProvider>');
  return client;
}
