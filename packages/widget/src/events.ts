import type { Action, CreateGenerationBody, Generation, Health, Upload } from './api/types.js';

/** Where a failure happened, so embedders can tell a failed upload from a failed generation. */
export type ErrorContext = 'load' | 'upload' | 'create' | 'generation' | 'cancel' | 'history' | 'sign-in' | 'favorite';

export interface DotbaseReadyDetail {
  mode: Health['mode'];
  version: string;
}
export interface DotbaseActionChangeDetail {
  action: Action;
}
export interface DotbaseGenerationStartDetail {
  generation: Generation;
  request: CreateGenerationBody;
}
export interface DotbaseGenerationDetail {
  generation: Generation;
}
export interface DotbaseUploadDetail {
  upload: Upload;
}
export interface DotbaseErrorDetail {
  code: string;
  message: string;
  context: ErrorContext;
  /** Set when the error belongs to one generation. */
  generationId?: string;
}

/** Every public event `<dotbase-studio>` dispatches, by name. All bubble and cross shadow roots (composed). */
export interface DotbaseEventDetails {
  'dotbase-ready': DotbaseReadyDetail;
  'dotbase-action-change': DotbaseActionChangeDetail;
  'dotbase-generation-start': DotbaseGenerationStartDetail;
  'dotbase-generation-progress': DotbaseGenerationDetail;
  'dotbase-generation-complete': DotbaseGenerationDetail;
  'dotbase-generation-failed': DotbaseGenerationDetail;
  'dotbase-generation-canceled': DotbaseGenerationDetail;
  'dotbase-upload': DotbaseUploadDetail;
  'dotbase-error': DotbaseErrorDetail;
}

export type DotbaseEventName = keyof DotbaseEventDetails;
export type DotbaseEvent<K extends DotbaseEventName> = CustomEvent<DotbaseEventDetails[K]>;

export type DotbaseGenerationStartEvent = DotbaseEvent<'dotbase-generation-start'>;
export type DotbaseGenerationCompleteEvent = DotbaseEvent<'dotbase-generation-complete'>;
export type DotbaseErrorEvent = DotbaseEvent<'dotbase-error'>;

/** Dispatches a public event from `target`: bubbling and composed, so the embedding page can listen anywhere. */
export function emit<K extends DotbaseEventName>(target: EventTarget, name: K, detail: DotbaseEventDetails[K]): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

/** Dispatches an internal event from a sub-component to `<dotbase-studio>`; not composed, so it never leaks out. */
export function notify<T>(target: EventTarget, name: string, detail: T): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: false }));
}

declare global {
  interface HTMLElementEventMap {
    'dotbase-ready': DotbaseEvent<'dotbase-ready'>;
    'dotbase-action-change': DotbaseEvent<'dotbase-action-change'>;
    'dotbase-generation-start': DotbaseEvent<'dotbase-generation-start'>;
    'dotbase-generation-progress': DotbaseEvent<'dotbase-generation-progress'>;
    'dotbase-generation-complete': DotbaseEvent<'dotbase-generation-complete'>;
    'dotbase-generation-failed': DotbaseEvent<'dotbase-generation-failed'>;
    'dotbase-generation-canceled': DotbaseEvent<'dotbase-generation-canceled'>;
    'dotbase-upload': DotbaseEvent<'dotbase-upload'>;
    'dotbase-error': DotbaseEvent<'dotbase-error'>;
  }
}

/** A touch screen without a fine pointer: no keyboard shortcuts to hint at. */
export function isTouch(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
}
