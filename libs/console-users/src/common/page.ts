/** One page of a core list: the rows asked for and how many match in all. Faces shape it for the wire. */
export interface Page<T> {
  items: T[];
  total: number;
}
