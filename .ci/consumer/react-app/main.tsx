import { DotbaseStudio } from '@dotbase/widget/react';
import { createRoot } from 'react-dom/client';

createRoot(document.getElementById('root')!).render(
  <DotbaseStudio endpoint="https://images.example.com" actions="create,upscale" onGenerationComplete={(event) => console.log(event.detail.generation.id)} />,
);
