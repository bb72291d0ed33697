#!/usr/bin/env node
// A committed shim rather than `bin: dist/cli.js`, so installing the workspace (before any build) can link it.
import '../dist/cli.js';
