/**
 * Lit's `static properties = { x: { state: true } }` declares internal reactive state, not an attribute; the
 * analyzer lists every entry as an attribute, so this plugin takes the state ones back out.
 */
function litStatePlugin() {
  const states = new Map();
  return {
    name: 'dotbase-lit-state',
    analyzePhase({ ts, node }) {
      if (!ts.isPropertyDeclaration(node) || node.name?.getText() !== 'properties') return;
      if (!node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) return;
      const className = node.parent?.name?.getText();
      const literal = node.initializer;
      if (!className || !literal || !ts.isObjectLiteralExpression(literal)) return;
      const names = new Set();
      for (const property of literal.properties) {
        const options = property.initializer;
        if (!options || !ts.isObjectLiteralExpression(options)) continue;
        const isState = options.properties.some((o) => o.name?.getText() === 'state' && o.initializer?.kind === ts.SyntaxKind.TrueKeyword);
        if (isState) names.add(property.name.getText());
      }
      states.set(className, names);
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        const names = states.get(declaration.name);
        if (!names) continue;
        declaration.attributes = (declaration.attributes ?? []).filter((a) => !names.has(a.fieldName ?? a.name));
        for (const member of declaration.members ?? []) if (names.has(member.name)) member.privacy = 'private';
      }
    },
  };
}

// Custom-elements manifest for editors and docs: read from the JSDoc on each element class.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  plugins: [litStatePlugin()],
};
