import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { DotbaseStudio } from '@dotbase/widget/react';

// The server's URL: ?endpoint=… , VITE_DOTBASE_ENDPOINT at build time, or the default of `pnpm start`.
const endpoint = new URLSearchParams(location.search).get('endpoint') ?? import.meta.env.VITE_DOTBASE_ENDPOINT ?? 'http://127.0.0.1:8787';

function App() {
  const [dark, setDark] = useState(false);
  const [events, setEvents] = useState<string[]>([]);
  const log = (line: string) => setEvents((previous) => [...previous, line]);
  return (
    <main style={{ maxWidth: 1160, margin: '0 auto', padding: 24 }}>
      <h1 style={{ fontSize: 22 }}>dotbase in a React app</h1>
      <label style={{ display: 'block', marginBottom: 16 }}>
        <input type="checkbox" checked={dark} onChange={(event) => setDark(event.target.checked)} /> Dark theme
      </label>
      <DotbaseStudio
        endpoint={endpoint}
        theme={dark ? 'dark' : 'light'}
        actions={['create', 'upscale', 'remove-bg']}
        onReady={(event) => log(`ready: ${event.detail.mode}`)}
        onGenerationStart={(event) => log(`started: ${event.detail.generation.model_id}`)}
        onGenerationComplete={(event) => log(`completed: ${event.detail.generation.output_urls.length} image(s)`)}
        onError={(event) => log(`error: ${event.detail.code}`)}
      />
      <h2 style={{ fontSize: 16 }}>Events</h2>
      <ol id="events">
        {events.map((line, index) => (
          <li key={index}>{line}</li>
        ))}
      </ol>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
