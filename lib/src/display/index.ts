export { inNotebook, show, liveOutput, type LiveOutput, type NotebookDisplay } from "./notebook";
