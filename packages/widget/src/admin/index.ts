/**
 * `dotbase-admin.js`: importing this module registers `<dotbase-admin>`. Built as its own file so the studio's
 * bundle does not carry it; `<dotbase-studio>` imports it when an admin opens its Admin view.
 */
import { defineElement } from '../define-element.js';
import { DotbaseAdmin } from './dotbase-admin.js';

defineElement('dotbase-admin', DotbaseAdmin);

export { DotbaseAdmin };

declare global {
  interface HTMLElementTagNameMap {
    'dotbase-admin': DotbaseAdmin;
  }
}
