// pacote and @npmcli/arborist ship no type declarations: the parts of their APIs this package calls.
declare module 'pacote' {
  export interface FetchResult {
    readonly from: string;
    readonly resolved: string;
    readonly integrity: string;
  }
  const pacote: {
    extract(spec: string, dest: string, options?: Readonly<Record<string, unknown>>): Promise<FetchResult>;
  };
  export default pacote;
}

declare module '@npmcli/arborist' {
  interface ArboristInstance {
    reify(options?: { omit?: readonly string[] }): Promise<unknown>;
  }
  const Arborist: new (options: Readonly<Record<string, unknown>> & { path: string }) => ArboristInstance;
  export default Arborist;
}
