import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ParleyClient } from '@parley/client';
import { App } from './app/App';
import { ClientProvider } from './app/ClientContext';
import './styles/app.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

// One client per tab: it owns the session cookie flow and the single signalling WebSocket.
const client = new ParleyClient({ baseUrl: window.location.origin });

createRoot(container).render(
  <StrictMode>
    <ClientProvider client={client}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </ClientProvider>
  </StrictMode>,
);
