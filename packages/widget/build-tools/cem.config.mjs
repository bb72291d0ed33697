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

/** The module whose element is public, and the shipped file that exports it (see package.json "exports"). */
const PUBLIC_SOURCE = 'src/dotbase-studio.ts';
const PUBLIC_MODULE = 'dist/lib/element.js';

/**
 * The manifest describes what a user can use: `<dotbase-studio>` only (the parts it renders are internal and may
 * change), at the path that ships (the npm build, not the TypeScript source), defined under its tag name.
 */
function publicOnlyPlugin() {
  return {
    name: 'dotbase-public-only',
    packageLinkPhase({ customElementsManifest }) {
      const studio = customElementsManifest.modules.find((module) => module.path === PUBLIC_SOURCE);
      if (!studio) throw new Error(`custom-elements manifest: ${PUBLIC_SOURCE} not analysed`);
      // by class name: the analyzer reads the tag from `@tagname`, which it does not always attach to the class
      const element = (studio.declarations ?? []).find((d) => d.name === 'DotbaseStudio' && d.kind === 'class');
      if (!element) throw new Error('custom-elements manifest: the DotbaseStudio class was not found');
      element.customElement = true;
      element.tagName = 'dotbase-studio';
      const declaration = { name: element.name, module: PUBLIC_MODULE };
      const published = JSON.parse(JSON.stringify({ ...studio, declarations: [element] }).replaceAll(`"${PUBLIC_SOURCE}"`, `"${PUBLIC_MODULE}"`));
      published.path = PUBLIC_MODULE;
      published.exports = [
        { kind: 'js', name: element.name, declaration },
        { kind: 'custom-element-definition', name: element.tagName, declaration },
      ];
      customElementsManifest.modules = [published];
    },
  };
}

// Custom-elements manifest for editors and docs: read from the JSDoc on each element class.
export default {
  globs: ['src/**/*.ts'],
  exclude: ['src/**/*.test.ts'],
  outdir: '.',
  litelement: true,
  plugins: [litStatePlugin(), publicOnlyPlugin()],
};
