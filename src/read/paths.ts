import { basename, dirname, isAbsolute, join, resolve, sep } from "node:path";

// node:path's join and resolve run uncompiled as a run starts, about 15 µs a call on the
// benchmark's machine: a thousand ledgers' paths, joined and resolved several times each before
// they warmed up, took 30-40 ms of the start. A plain path needs none of their normalizing.

/** An empty, `.` or `..` segment: what node:path's join would normalize away. */
const NOT_PLAIN = /(?:^|\/)\.{0,2}(?:\/|$)/;
const normalizedFolders = new Map<string, string>();

/**
 * join(folder, path): the folder normalized once, and a plain relative path (no empty, `.` or `..`
 * segment; `/` the separator) appended to it as it is. Any other path is joined by join itself.
 */
export function joinPlain(folder: string, path: string): string {
  if (sep !== "/" || NOT_PLAIN.test(path)) return join(folder, path);
  let base = normalizedFolders.get(folder);
  if (base === undefined) normalizedFolders.set(folder, (base = join(folder)));
  if (base === "." || base === "./") return path;
  return base.endsWith("/") ? base + path : `${base}/${path}`;
}

/** resolve(path), with a plain path (joinPlain) taken as it is, or appended to the working folder. */
export function resolvePlain(path: string): string {
  if (sep !== "/") return resolve(path);
  if (path.startsWith("/")) return NOT_PLAIN.test(path.slice(1)) ? resolve(path) : path;
  return NOT_PLAIN.test(path) ? resolve(path) : joinPlain(process.cwd(), path);
}

/** A path named in a workspace: relative to the workspace folder, or absolute. */
export const inWorkspace = (dir: string, path: string) => (isAbsolute(path) ? path : joinPlain(dir, path));

/**
 * dirname and basename of a path resolvePlain gave (absolute, without an empty, `.` or `..`
 * segment, no `/` at its end but the root's): cut at its last `/`, without node:path where that
 * is the separator.
 */
export function splitResolved(path: string): { folder: string; name: string } {
  if (sep !== "/") return { folder: dirname(path), name: basename(path) };
  const cut = path.lastIndexOf("/");
  return { folder: cut <= 0 ? "/" : path.slice(0, cut), name: path.slice(cut + 1) };
}
