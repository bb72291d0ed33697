// (f) every entry of @dotbase/widget imports in Node (as server-rendering frameworks do) without throwing.
const entries = ['@dotbase/widget', '@dotbase/widget/define', '@dotbase/widget/dotbase-studio', '@dotbase/widget/react', '@dotbase/widget/admin'];
let failed = 0;
for (const entry of entries) {
  try {
    const module = await import(entry);
    console.log(`PASS   (f) import '${entry}' in Node: exports ${Object.keys(module).join(', ') || '(none)'}`);
  } catch (error) {
    failed++;
    console.log(`FAIL   (f) import '${entry}' in Node: ${error instanceof Error ? error.message : String(error)}`);
  }
}
process.exitCode = failed ? 1 : 0;
