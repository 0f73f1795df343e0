export { trace, showTrace, Trace, type TracedRequest, type Traceable, type TraceOptions } from "./trace";
export { sideBySide, showSideBySide, SideBySide, type SideBySideColumn, type SideBySideOptions } from "./side-by-side";
