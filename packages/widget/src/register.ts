import { DotbaseActionTabs } from './components/action-tabs/action-tabs.js';
import { DotbaseBatchView } from './components/batch-view/batch-view.js';
import { DotbaseHistory } from './components/history/history.js';
import { DotbaseImageInput } from './components/image-input/image-input.js';
import { DotbaseMaskPainter } from './components/mask-painter/mask-painter.js';
import { DotbaseModelPicker } from './components/model-picker/model-picker.js';
import { DotbaseResultView } from './components/result-view/result-view.js';
import { DotbaseSettingsForm } from './components/settings-form/settings-form.js';
import { defineElement } from './define-element.js';
import { DotbaseStudio } from './dotbase-studio.js';

/**
 * Registers `<dotbase-studio>` and the parts it renders. Idempotent.
 */
export function defineDotbaseStudio(): void {
  defineElement('dotbase-action-tabs', DotbaseActionTabs);
  defineElement('dotbase-model-picker', DotbaseModelPicker);
  defineElement('dotbase-settings-form', DotbaseSettingsForm);
  defineElement('dotbase-image-input', DotbaseImageInput);
  defineElement('dotbase-mask-painter', DotbaseMaskPainter);
  defineElement('dotbase-result-view', DotbaseResultView);
  defineElement('dotbase-history', DotbaseHistory);
  defineElement('dotbase-batch-view', DotbaseBatchView);
  defineElement('dotbase-studio', DotbaseStudio);
}
