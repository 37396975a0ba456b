// Types for compile-cache.mjs (plain JavaScript, so that the launcher can run it before anything is compiled).
export declare const PROJECT_ROOT: string;
/** Compiles `entry` (relative to the project root) unless cached; resolves to the absolute path of the .mjs. */
export declare function compiledScript(entry: string): Promise<string>;
/** The esbuild plugin that turns imports of big CommonJS packages into `require`s (bundles using it need REQUIRE_BANNER). */
export declare const requireBigPackages: import('esbuild').Plugin;
export declare const REQUIRE_BANNER: string;
