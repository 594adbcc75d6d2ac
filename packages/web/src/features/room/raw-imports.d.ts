// Vite (and Vitest) import a file's text with the `?raw` suffix; tests use it to read docs/roles.md.
declare module '*.md?raw' {
  const text: string;
  export default text;
}
