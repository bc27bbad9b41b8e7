// Jest counterpart of esbuild's `text` loader: a .sql import is the file's text.
module.exports = {
  process(sourceText) {
    return { code: `module.exports = { __esModule: true, default: ${JSON.stringify(sourceText)} };` };
  },
};
