/**
 * `@dotbase/widget/react`: `<DotbaseStudio>` for React (needs the `@lit/react` and `react` peer dependencies).
 *
 * @module @dotbase/widget/react
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { DotbaseStudio as DotbaseStudioElement } from './index.js';
import type { DotbaseEvent } from './events.js';

/**
 * `<DotbaseStudio>` for React, through `@lit/react`: properties pass as props (including `getToken`), events as
 * `on…` callbacks with typed `detail`.
 *
 * @example
 * <DotbaseStudio endpoint="https://api.example.com" onGenerationComplete={(e) => save(e.detail.generation)} />
 */
export const DotbaseStudio = createComponent({
  tagName: 'dotbase-studio',
  elementClass: DotbaseStudioElement,
  react: React,
  events: {
    onReady: 'dotbase-ready' as EventName<DotbaseEvent<'dotbase-ready'>>,
    onActionChange: 'dotbase-action-change' as EventName<DotbaseEvent<'dotbase-action-change'>>,
    onGenerationStart: 'dotbase-generation-start' as EventName<DotbaseEvent<'dotbase-generation-start'>>,
    onGenerationProgress: 'dotbase-generation-progress' as EventName<DotbaseEvent<'dotbase-generation-progress'>>,
    onGenerationComplete: 'dotbase-generation-complete' as EventName<DotbaseEvent<'dotbase-generation-complete'>>,
    onGenerationFailed: 'dotbase-generation-failed' as EventName<DotbaseEvent<'dotbase-generation-failed'>>,
    onGenerationCanceled: 'dotbase-generation-canceled' as EventName<DotbaseEvent<'dotbase-generation-canceled'>>,
    onUpload: 'dotbase-upload' as EventName<DotbaseEvent<'dotbase-upload'>>,
    onError: 'dotbase-error' as EventName<DotbaseEvent<'dotbase-error'>>,
  },
});
