// Python path helpers whose results are strings the interpreter follows: os.path.join/dirname, pathlib.Path...
import * as path from 'path';
import { type CallArgs, concatStrings, knownString, str, UNKNOWN_STR, type Value } from './values';

/** Path helpers whose result is a string we can follow: os.path.join, pathlib.Path, os.getcwd... */
export function pathFunction(name: string): ((args: CallArgs) => Value) | undefined {
  const leaf = name.slice(name.lastIndexOf('.') + 1);
  if (name === 'os.path.join' || name === 'posixpath.join') {
    return (args) => {
      let acc: Value | undefined;
      for (const vals of args.pos) {
        const v = vals.find((x) => x.k === 'str') ?? UNKNOWN_STR;
        acc = acc ? concatStrings(concatStrings(acc, str('/')), v) : v;
      }
      return acc ?? UNKNOWN_STR;
    };
  }
  if (name.startsWith('pathlib.') && (leaf === 'Path' || leaf === 'PurePath' || leaf === 'PosixPath')) {
    return (args) => {
      let acc: Value | undefined;
      for (const vals of args.pos) {
        const v = vals.find((x) => x.k === 'str') ?? UNKNOWN_STR;
        acc = acc ? concatStrings(concatStrings(acc, str('/')), v) : v;
      }
      return acc ?? str('.');
    };
  }
  if (name === 'os.path.dirname') {
    return (args) => dirnameOf(args.pos[0]?.find((v) => v.k === 'str'));
  }
  if (name === 'os.path.abspath' || name === 'os.path.realpath') {
    // Known only for an absolute path (`__file__`): a relative one depends on the working directory.
    return (args) => {
      const s = knownString(args.pos[0]?.find((v) => v.k === 'str'));
      return s !== undefined && path.isAbsolute(s) ? str(s) : UNKNOWN_STR;
    };
  }
  if (name === 'os.getcwd' || name === 'os.environ.get' || name === 'os.getenv') {
    return () => UNKNOWN_STR;
  }
  return undefined;
}

/** The folder of a path value, when the whole path is known (`os.path.dirname(__file__)`). */
export function dirnameOf(v: Value | undefined): Value {
  const s = knownString(v);
  // Only a path with a folder part: Python gives '' for a bare name, which would join differently.
  return s !== undefined && /[\\/]/.test(s) ? str(path.dirname(s)) : UNKNOWN_STR;
}
