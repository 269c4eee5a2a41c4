/**
 * The formatter (`npm run format`, `npm run format:check`). The options are the tree's style as it
 * was written by hand: single quotes, semicolons, trailing commas, long lines. 220 columns is the
 * width at which formatting the hand-written tree changed the fewest lines (measured from 120 to 260).
 * SDL and Markdown are not formatted (.prettierignore).
 */
export default {
  printWidth: 220,
  singleQuote: true,
  semi: true,
  trailingComma: 'all',
};
