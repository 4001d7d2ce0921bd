// Types of soak.js, for the reliability tests (TypeScript) that run the soak driver.

/** A fault injected in the middle of a soak. */
export type SoakFault =
  /** SIGKILL to redis-server `at` seconds in, restarted `downFor` seconds later on the same port and dir. */
  | { readonly kind: 'redis-kill'; readonly at: number; readonly downFor: number }
  /** SIGKILL to the first app process `at` seconds in, restarted at once on the same port. */
  | { readonly kind: 'app-kill'; readonly at: number };

/** Options of {@link runSoak}; the defaults are {@link DEFAULTS}. */
export interface SoakOptions {
  readonly store: 'sqlite' | 'redis';
  /** Seconds of load. */
  readonly duration?: number;
  readonly clients?: number;
  /** App processes; clients alternate between them. @default 1 with SQLite, 2 with Redis */
  readonly processes?: number;
  /** Access-token lifetime in seconds. */
  readonly accessTtl?: number;
  /** The apps' reuse interval in seconds (default 5). */
  readonly reuseInterval?: number;
  /** Pause between a client's API calls, from and to, in ms. */
  readonly thinkMs?: readonly [number, number];
  /** Share of refreshes sent twice at once (two tabs). */
  readonly twoTabShare?: number;
  /** Share of refreshes followed by a logout. */
  readonly logoutShare?: number;
  /** The most a client waits after a logout before it logs in again, ms. */
  readonly reloginPauseMs?: number;
  readonly fault?: SoakFault;
  /** Where the store's files go; kept afterwards. @default a temporary directory, removed */
  readonly dir?: string;
}

/** One request: when it started and ended (ms since the soak began), its status (0 when no answer came). */
export interface SoakSample {
  readonly start: number;
  readonly end: number;
  readonly ms: number;
  readonly status: number;
  /** True when the answer carried `Retry-After`. */
  readonly retryAfter: boolean;
  /** Why no answer came: a connection error code, or 'hang'. */
  readonly error?: string;
}

/** The figures of one endpoint. */
export interface EndpointFigures {
  readonly name: string;
  readonly count: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  /** Answers by status (or connection error). */
  readonly statuses: Readonly<Record<string, number>>;
}

/** A broken expectation a client met during the soak. */
export interface SoakFailure {
  readonly kind: string;
  readonly client?: number;
  readonly detail: string;
  readonly at: number;
}

/** The moments of an injected fault (ms since the soak began) and what was checked around it. */
export interface FaultReport {
  readonly kind: SoakFault['kind'];
  readonly killAt: number;
  readonly restartedAt: number;
  /** app-kill: revoked access tokens presented to the restarted process, and how many it accepted. */
  readonly revokedAccess?: { readonly checked: number; readonly accepted: number };
  /** app-kill on SQLite: a copy of the database (and its WAL) as the crash left it. */
  readonly crashCopy?: string;
}

/** What a soak measured and found. */
export interface SoakReport {
  readonly store: 'sqlite' | 'redis';
  readonly processes: number;
  readonly clients: number;
  readonly accessTtl: number;
  readonly seconds: number;
  readonly figures: readonly EndpointFigures[];
  readonly total: { readonly count: number; readonly rps: number };
  readonly final: {
    readonly loggedIn: number;
    readonly loggedOut: number;
    /** Logged-in clients whose last refresh token was refused at the end. */
    readonly lostAtEnd: number;
    readonly revokedChecked: number;
    /** Refresh tokens of acknowledged logouts that still worked. */
    readonly revokedAccepted: number;
    /** Logins cut by a fault: the store may hold a session no client knows of. */
    readonly uncertainLogins: number;
    /** `tokenlease sessions count` at the end. */
    readonly activeSessions: number;
  };
  readonly revocation: { readonly crossProcess: boolean; readonly delays: readonly number[] };
  readonly concurrent: { readonly pairs: number; readonly bothGranted: number };
  readonly failures: readonly SoakFailure[];
  readonly fault: FaultReport | undefined;
  /** The samples of one endpoint (or all), started within [from, to). */
  samples(endpoint?: string, from?: number, to?: number): SoakSample[];
  readonly load: { readonly before: readonly number[]; readonly after: readonly number[] };
  /** CPU time over the run as a share of one core: the driver's, and each app process's. */
  readonly cpu: { readonly driver: number; readonly apps: readonly number[] };
  /** The violated end conditions; empty when all hold. */
  readonly problems: readonly string[];
}

/** The settings a soak uses unless told otherwise. */
export declare const DEFAULTS: Required<Pick<SoakOptions, 'duration' | 'clients' | 'accessTtl' | 'reuseInterval' | 'thinkMs' | 'twoTabShare' | 'logoutShare' | 'reloginPauseMs'>>;

/** Runs one soak; needs `npm run build` first. */
export declare function runSoak(options: SoakOptions): Promise<SoakReport>;
