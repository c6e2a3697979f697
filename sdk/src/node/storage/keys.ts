/**
 * Object keys and local names. A resource's object key is `credentials.prefix` joined with
 * `filepath`, as Super Protocol joins them (one `/` between, repeated and trailing slashes dropped).
 * Keys are checked here, once, so that no key leaves its bucket or directory and no downloaded name
 * leaves its destination.
 */
import { InputError } from "../../errors.js";

/**
 * Joins key parts into one object key and checks it: no `.` or `..` segment, no leading `/`, no
 * backslash or NUL, not empty.
 *
 * @param parts The prefix and the filepath (either may be `""`).
 * @param field Name of the value, for the error message.
 * @returns The key, segments joined with `/`.
 * @throws {InputError} naming `field` when the key would be empty or could escape its storage.
 */
export function objectKey(parts: readonly string[], field: string): string {
  const text = parts.filter((part) => part !== "").join("/");
  if (text.startsWith("/")) {
    throw new InputError(
      field,
      `${JSON.stringify(text)} is absolute; object keys are relative to their storage`,
    );
  }
  if (/[\\\0]/.test(text)) {
    throw new InputError(field, `${JSON.stringify(text)} holds a backslash or NUL; use "/" between segments`);
  }
  const segments = text.split("/").filter((segment) => segment !== "");
  if (segments.length === 0) throw new InputError(field, "the object key is empty; give a file name");
  const dots = segments.find((segment) => segment === "." || segment === "..");
  if (dots !== undefined) {
    throw new InputError(
      field,
      `${JSON.stringify(text)} has a "${dots}" segment; object keys may not leave their storage`,
    );
  }
  return segments.join("/");
}

/**
 * The name a download gets in its destination directory: the last segment of the object's path,
 * without spctl's `.encrypted` suffix (and without `.tar.gz` or `.tgz` when it is unpacked).
 *
 * @param path The resource's filepath, or a URL's path.
 * @param unpack Whether the object is an archive unpacked into a directory.
 * @throws {InputError} naming `filename` when no usable name remains.
 */
export function localName(path: string, unpack: boolean): string {
  let name =
    path
      .split("/")
      .filter((segment) => segment !== "")
      .at(-1) ?? "";
  name = name.replace(/\.encrypted$/, "");
  if (unpack) name = name.replace(/\.(tar\.gz|tgz)$/, "");
  checkLocalName(name, "filename");
  return name;
}

/**
 * Checks a file name for a destination directory: one segment, not `.` or `..`, no NUL.
 *
 * @throws {InputError} naming `field` otherwise.
 */
export function checkLocalName(name: string, field: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new InputError(
      field,
      `${JSON.stringify(name)} is not a usable file name (one path segment, not "." or ".."); pass filename`,
    );
  }
}
