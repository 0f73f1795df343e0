export { inNotebook, show, liveOutput, type LiveOutput, type NotebookDisplay } from "./notebook";
export { htmlTable, textTable, escapeHtml, type Cell, type TableOptions } from "./table";
export { showDataFrame, dataFrameTables, isDanfoFrame, type DataFrameLike, type DataFrameDisplayOptions } from "./dataframe";
export { renderChart, showChart, chartFont, type VegaLiteSpec, type ChartOptions } from "./chart";
export { showError, errorReport, lastError, FULL_ERROR_HINT, type ErrorReport } from "./error";
export { redactSecrets } from "./redact";
export { formatBytes, formatMs, formatDuration } from "./format";
