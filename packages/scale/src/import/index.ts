/**
 * Moving a deployment that started on the zero-config embedded folder to PostgreSQL and S3 (`dotbase import`).
 *
 * @module @dotbase/scale/import
 */
export { openEmbeddedFolder, NotAnEmbeddedFolderError, type EmbeddedFolder, type FolderBlob } from './embedded-folder.js';
export { importEmbeddedFolder, describeSummary, type ImportTargets, type ImportSummary, type ImportOptions } from './import-folder.js';
