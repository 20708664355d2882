// node-resolve finds 'bdpay' in node_modules (its `browser` condition);
// importMetaAssets emits the files referenced by `new URL('./x', import.meta.url)`,
// which is how bdpay's browser entry finds its wasm.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'src/index.js',
  output: { dir: 'dist', format: 'es' },
  plugins: [nodeResolve({ browser: true }), importMetaAssets()],
};
