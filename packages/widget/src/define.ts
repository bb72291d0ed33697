import { defineDotbaseStudio } from './register.js';

defineDotbaseStudio();
