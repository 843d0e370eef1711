// Column descriptions of the shared data table (components/DataTable.svelte).
import type { SortDir } from './sort.ts';

export interface Column<K extends string> {
  key: K;
  label: string;
  /** Right-aligned numbers. */
  num?: boolean;
  /** Header tooltip. */
  title?: string;
  /** Excluded from sorting in a sortable table (links, charts). */
  fixed?: boolean;
  /** Direction of the first click on this header: text reads best ascending. */
  first?: SortDir;
  /** The one direction this column sorts in (an order the server computes): clicking it again keeps it. */
  only?: SortDir;
  /** The label is for screen readers only. */
  hidden?: boolean;
}
