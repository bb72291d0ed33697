/** `@dotbase/widget/define`: registers `<dotbase-studio>` and the parts it renders, and exports nothing. */
import { defineDotbaseStudio } from './register.js';

defineDotbaseStudio();
