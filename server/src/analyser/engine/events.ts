// What the interpreter observed that matters for OBO: constructions, calls on clients, stores, log sites.
import type { ConsumerRow, MethodRow, PolicyRow, UserClientRow } from '../../catalog/types';
import type { PyNode } from '../python/tree';
import type { ClassInfo, FuncInfo } from './program';
import type { CallArgs, ClientValue, ConsumerValue, Site } from './values';

export type StoreHow = 'self' | 'global' | 'class' | 'cache';

export type Event =
  /** A client from the userClients table was built (user or system). */
  | { k: 'client'; value: ClientValue; fn: FuncInfo; site: Site; args: CallArgs }
  /** A consumer was built; `value.user` says whether it got a user client. */
  | { k: 'consumer'; value: ConsumerValue; fn: FuncInfo; site: Site }
  /** A method from the methods table was called on a client. */
  | { k: 'method'; row: MethodRow; client: ClientValue; fn: FuncInfo; site: Site; args: CallArgs }
  /** A wrong keyword on a known construct. */
  | {
      k: 'wrongKeyword';
      row: UserClientRow | ConsumerRow | PolicyRow;
      keyword: string;
      why: string;
      right: string;
      node: PyNode;
      fn: FuncInfo;
      site: Site;
      /** `unconfirmed`: inferred from the documented signature (a warning), not a known TypeError. */
      confidence: 'confirmed' | 'unconfirmed';
      /** A user credential given where a client goes: the client row to build around it. */
      wrap?: UserClientRow;
    }
  /** A user-authorized value stored where it outlives the request. */
  | {
      k: 'store';
      how: StoreHow;
      value: ClientValue | ConsumerValue;
      fn: FuncInfo;
      site: Site;
      cls?: ClassInfo;
      target: string;
      /** Kept inside something that holds it (a closure, a tool object built with one): inferred, not direct. */
      via?: Site;
    }
  /** `mlflow.<flavor>.log_model(...)`. */
  | { k: 'logModel'; name: string; fn: FuncInfo; site: Site; args: CallArgs }
  /** `mlflow.models.set_model(...)`. */
  | { k: 'setModel'; fn: FuncInfo; site: Site; args: CallArgs }
  /** A user-authorized value passed to code the catalog does not know. */
  | { k: 'opaque'; callee: string; value: ClientValue | ConsumerValue; fn: FuncInfo; site: Site };
