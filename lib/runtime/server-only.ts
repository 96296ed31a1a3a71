// `import "../runtime/server-only";` marks a module that must never reach the browser (it opens the
// database, reads secrets or the file system). tests/unit/layering.test.ts fails when a component's
// imports lead to one; this throw is the second fence, for a bundle built without that test. Not
// the `server-only` package: these modules also run on the door thread and in worker threads under
// plain Node, where that package's default export throws.
if (typeof window !== "undefined") {
  throw new Error("a server-only module was loaded in the browser");
}
export {};
