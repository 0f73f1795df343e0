/**
 * The cheat sheet (notebooks/14-cheat-sheet.ipynb) as data: every row's boto3, s3kit resource and
 * client code, and the exact requests each sends. test/cheat-sheet.test.ts runs every row's three
 * columns against a real server (boto3 through test/parity/cheat-sheet.py) and checks the notebook's
 * tables are the ones generated here (`S3KIT_WRITE_CHEAT_SHEET=1` rewrites them).
 *
 * The code in a row runs as written, with these names in scope (the sheet's intro says so):
 * `s3` (the resource), `client`, `Bucket` (a bucket name), `bucket` (that bucket), `Key`
 * ("hello.txt"), `obj` (that object), `file` (a local file holding "hi"), `dest` (a local path
 * that does not exist yet), and, in TypeScript, the SDK's commands, paginators and waiters and
 * s3kit's exports. A row's code is statements joined by "; "; the last one's value is the row's
 * result.
 */

/** What the bucket holds before a row runs. */
export type Given =
  /** `Bucket` holds hello.txt ("hello, s3"), data.csv, logs/1.txt, logs/2.txt, photos/a.jpg */
  | "objects"
  /** `Bucket` exists and is empty */
  | "empty"
  /** no bucket named `Bucket` */
  | "none";

/** The objects of a bucket "given objects": key → body. */
export const FIXTURE: Record<string, string> = {
  "hello.txt": "hello, s3",
  "data.csv": "city,temp\nOslo,4\nLima,19\n",
  "logs/1.txt": "one",
  "logs/2.txt": "two",
  "photos/a.jpg": "not really a jpeg",
};

export interface CheatRow {
  /** Python with boto3; `s3` is boto3.resource("s3"), `client` is s3.meta.client. */
  boto3: string;
  /** TypeScript with the s3kit resource, or undefined when the resource has no such thing. */
  resource?: string;
  /** TypeScript with the SDK client (commands, paginators, waiters) or an s3kit function taking it. */
  client: string;
  /** Why the resource column is empty, or what to know about the row. */
  note?: string;
  given?: Given;
  /** The operations the resource and the client code send, in order. */
  sends: string[];
  /** When boto3 sends something else: its operations, in order. */
  boto3Sends?: string[];
  /** When the client code sends something else than the resource code. */
  clientSends?: string[];
  /** The value every column's code gives, as JSON (only where the columns give the same thing). */
  result?: unknown;
  /** An error every column's code throws: its code (boto3's `Error.Code`, the kit's `error.name`). */
  error?: string;
  /** When boto3's error code differs (a HEAD's error has only a status). */
  boto3Error?: string;
  /** When the client code's error differs from the resource code's. */
  clientError?: string;
  /** Also run in the notebook's kernel, on the kit's seeded bucket (reads only). */
  kernel?: boolean;
}

export interface CheatSection {
  title: string;
  rows: CheatRow[];
}

export const SECTIONS: CheatSection[] = [
  {
    title: "Buckets",
    rows: [
      {
        boto3: "list(s3.buckets.all())",
        resource: "await s3.buckets.all().toArray()",
        client: "(await client.send(new ListBucketsCommand({}))).Buckets",
        sends: ["ListBuckets"],
        kernel: true,
      },
      {
        given: "none",
        boto3: "s3.create_bucket(Bucket=Bucket)",
        resource: "await s3.createBucket({ Bucket })",
        client: "await client.send(new CreateBucketCommand({ Bucket }))",
        sends: ["CreateBucket"],
      },
      {
        given: "empty",
        boto3: "bucket.wait_until_exists()",
        resource: "await bucket.waitUntilExists()",
        client: "await waitUntilBucketExists({ client, maxWaitTime: 60 }, { Bucket })",
        sends: ["HeadBucket"],
      },
      {
        given: "empty",
        boto3: "client.head_bucket(Bucket=Bucket)",
        resource: "await bucket.exists()",
        client: "await client.send(new HeadBucketCommand({ Bucket }))",
        note: "`exists()` is the kit's: `false` for a 404 instead of an error",
        sends: ["HeadBucket"],
        kernel: true,
      },
      {
        boto3: "bucket.objects.all().delete()",
        resource: "await bucket.objects.all().delete()",
        client:
          "for await (const page of paginateListObjectsV2({ client }, { Bucket })) " +
          "await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: " +
          "(page.Contents ?? []).map(({ Key }) => ({ Key })) } }))",
        note: "one DeleteObjects per page of up to 1,000 keys; boto3's collections list with ListObjects (v1)",
        sends: ["ListObjectsV2", "DeleteObjects"],
        boto3Sends: ["ListObjects", "DeleteObjects"],
      },
      {
        given: "empty",
        boto3: "bucket.delete()",
        resource: "await bucket.delete()",
        client: "await client.send(new DeleteBucketCommand({ Bucket }))",
        sends: ["DeleteBucket"],
      },
      {
        given: "none",
        boto3: "bucket.wait_until_not_exists()",
        resource: "await bucket.waitUntilNotExists()",
        client: "await waitUntilBucketNotExists({ client, maxWaitTime: 60 }, { Bucket })",
        sends: ["HeadBucket"],
      },
    ],
  },
  {
    title: "Objects",
    rows: [
      {
        boto3: 'bucket.put_object(Key=Key, Body=b"hi")',
        resource: 'await bucket.putObject({ Key, Body: "hi" })',
        client: 'await client.send(new PutObjectCommand({ Bucket, Key, Body: "hi" }))',
        sends: ["PutObject"],
      },
      {
        boto3: 'obj.put(Body=b"hi")',
        resource: 'await obj.put({ Body: "hi" })',
        client: 'await client.send(new PutObjectCommand({ Bucket, Key, Body: "hi" }))',
        sends: ["PutObject"],
      },
      {
        boto3: 'obj.get()["Body"].read().decode()',
        resource: "await (await obj.get()).text()",
        client: "const { Body } = await client.send(new GetObjectCommand({ Bucket, Key })); await Body?.transformToString()",
        sends: ["GetObject"],
        result: "hello, s3",
        kernel: true,
      },
      {
        boto3: "obj.content_length",
        resource: "await obj.load(); obj.contentLength",
        client: "(await client.send(new HeadObjectCommand({ Bucket, Key }))).ContentLength",
        note: "boto3 loads on first attribute access; the kit's `load()` is explicit",
        sends: ["HeadObject"],
        result: 9,
        kernel: true,
      },
      {
        boto3: "obj.wait_until_exists()",
        resource: "await obj.waitUntilExists()",
        client: "await waitUntilObjectExists({ client, maxWaitTime: 60 }, { Bucket, Key })",
        sends: ["HeadObject"],
        kernel: true,
      },
      {
        boto3: 'bucket.Object("copy.txt").copy_from(CopySource={"Bucket": Bucket, "Key": Key})',
        resource: 'await bucket.object("copy.txt").copyFrom({ CopySource: { Bucket, Key } })',
        client: 'await client.send(new CopyObjectCommand({ Bucket, Key: "copy.txt", CopySource: `${Bucket}/${Key}` }))',
        note: "one CopyObject: up to 5 GB",
        sends: ["CopyObject"],
      },
      {
        boto3: "obj.delete()",
        resource: "await obj.delete()",
        client: "await client.send(new DeleteObjectCommand({ Bucket, Key }))",
        sends: ["DeleteObject"],
      },
      {
        boto3: 'bucket.delete_objects(Delete={"Objects": [{"Key": Key}]})',
        resource: "await bucket.deleteObjects({ Delete: { Objects: [{ Key }] } })",
        client: "await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key }] } }))",
        sends: ["DeleteObjects"],
      },
    ],
  },
  {
    title: "Listing",
    rows: [
      {
        boto3: "list(bucket.objects.all())",
        resource: "await bucket.objects.all().toArray()",
        client: "const all = []; for await (const page of paginateListObjectsV2({ client }, { Bucket })) all.push(...(page.Contents ?? []))",
        sends: ["ListObjectsV2"],
        boto3Sends: ["ListObjects"],
      },
      {
        boto3: 'list(bucket.objects.filter(Prefix="logs/"))',
        resource: 'await bucket.objects.filter({ Prefix: "logs/" }).toArray()',
        client: 'await client.send(new ListObjectsV2Command({ Bucket, Prefix: "logs/" }))',
        note: "the client sends one page (up to 1,000 keys): use the paginator for more",
        sends: ["ListObjectsV2"],
        boto3Sends: ["ListObjects"],
        kernel: true,
      },
      {
        boto3: 'client.list_objects_v2(Bucket=Bucket, Delimiter="/")["CommonPrefixes"]',
        client: 'const page = await client.send(new ListObjectsV2Command({ Bucket, Delimiter: "/" })); page.CommonPrefixes',
        note: "a collection yields objects only, never the prefixes: folders come from the client (`s3.meta.client`)",
        sends: ["ListObjectsV2"],
        result: [{ Prefix: "logs/" }, { Prefix: "photos/" }],
        kernel: true,
      },
      {
        boto3: "list(bucket.objects.limit(2))",
        resource: "await bucket.objects.limit(2).toArray()",
        client: "await client.send(new ListObjectsV2Command({ Bucket, MaxKeys: 2 }))",
        sends: ["ListObjectsV2"],
        boto3Sends: ["ListObjects"],
        kernel: true,
      },
      {
        boto3: "[len(page) for page in bucket.objects.page_size(2).pages()]",
        resource: "const sizes = []; for await (const page of bucket.objects.pageSize(2).pages()) sizes.push(page.length); sizes",
        client:
          "const sizes = []; for await (const page of paginateListObjectsV2({ client, pageSize: 2 }, { Bucket })) " +
          "sizes.push(page.KeyCount); sizes",
        note: "one request per page",
        sends: ["ListObjectsV2", "ListObjectsV2", "ListObjectsV2"],
        boto3Sends: ["ListObjects", "ListObjects", "ListObjects"],
        result: [2, 2, 1],
      },
      {
        boto3: 'bucket.objects.filter(Prefix="logs/").delete()',
        resource: 'await bucket.objects.filter({ Prefix: "logs/" }).delete()',
        client:
          'const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket, Prefix: "logs/" })); ' +
          "await client.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: Contents.map(({ Key }) => ({ Key })) } }))",
        sends: ["ListObjectsV2", "DeleteObjects"],
        boto3Sends: ["ListObjects", "DeleteObjects"],
      },
    ],
  },
  {
    title: "Files, copies and sharing",
    rows: [
      {
        boto3: "obj.upload_file(file)",
        resource: "await obj.uploadFile(file)",
        client: "await uploadFile(client, file, Bucket, Key)",
        note: "`client.upload_file(file, Bucket, Key)` and `bucket.upload_file(file, Key)` too; multipart above 8 MiB",
        sends: ["PutObject"],
      },
      {
        boto3: 'obj.upload_fileobj(io.BytesIO(b"hi"))',
        resource: 'await obj.uploadData(Buffer.from("hi"))',
        client: 'await uploadData(client, Buffer.from("hi"), Bucket, Key)',
        note: "the kit takes a Buffer, a string or a Readable",
        sends: ["PutObject"],
      },
      {
        boto3: "obj.download_file(dest)",
        resource: "await obj.downloadFile(dest)",
        client: "await downloadFile(client, Bucket, Key, dest)",
        note: "`client.download_file(Bucket, Key, dest)` too; the size first, then the bytes (ranged GETs in parallel above 8 MiB)",
        sends: ["HeadObject", "GetObject"],
      },
      {
        boto3: 'bucket.copy({"Bucket": Bucket, "Key": Key}, "copy.txt")',
        resource: 'await bucket.copy({ Bucket, Key }, "copy.txt")',
        client: 'await copyObject(client, { Bucket, Key }, { Bucket, Key: "copy.txt" })',
        note: "`client.copy(...)` in boto3: a managed copy, the size first, then one CopyObject (a multipart copy above 8 MiB); no byte passes through your machine",
        sends: ["HeadObject", "CopyObject"],
      },
      {
        boto3: 'client.generate_presigned_url("get_object", Params={"Bucket": Bucket, "Key": Key})',
        resource: 'await obj.presignedUrl("GET", { expiresIn: 600 })',
        client: "await getSignedUrl(client, new GetObjectCommand({ Bucket, Key }), { expiresIn: 600 })",
        note: "signed locally, by the client: no request",
        sends: [],
        kernel: true,
      },
      {
        boto3: "client.generate_presigned_post(Bucket, Key)",
        resource: "await obj.presignedPost()",
        client: "await createPresignedPost(client, { Bucket, Key })",
        note: "signed locally, by the client: no request",
        sends: [],
      },
      {
        boto3: "list(bucket.multipart_uploads.all())",
        resource: "await bucket.multipartUploads.all().toArray()",
        client: "await client.send(new ListMultipartUploadsCommand({ Bucket }))",
        note: "uploads started and never completed or aborted (their parts are billed)",
        sends: ["ListMultipartUploads"],
      },
    ],
  },
  {
    title: "CSV and DataFrames",
    rows: [
      {
        boto3: 'pd.read_csv(bucket.Object("data.csv").get()["Body"]).shape',
        resource: '(await readCsv(bucket.object("data.csv"))).shape',
        client: '(await readCsv(`s3://${Bucket}/data.csv`, { client })).shape',
        note: "pandas reads `s3://` URLs too when s3fs is installed; the kit's `readCsv` reads them with the latest `connect()`",
        sends: ["GetObject"],
        result: [2, 2],
      },
      {
        boto3: '[len(c) for c in pd.read_csv(bucket.Object("data.csv").get()["Body"], chunksize=1)]',
        resource:
          'const rows = []; for await (const df of readCsvChunks(bucket.object("data.csv"), { chunkSize: 1 })) ' +
          "rows.push(df.shape[0]); rows",
        client:
          "const rows = []; for await (const df of readCsvChunks(`s3://${Bucket}/data.csv`, { client, chunkSize: 1 })) " +
          "rows.push(df.shape[0]); rows",
        note: "one GET, streamed: one chunk in memory at a time",
        sends: ["GetObject"],
        result: [1, 1],
      },
      {
        boto3: 'bucket.put_object(Key="out.csv", Body=pd.DataFrame({"x": [1, 2]}).to_csv(index=False))',
        resource: 'await writeCsv(new DataFrame({ x: [1, 2] }), bucket.object("out.csv"))',
        client: 'await writeCsv(new DataFrame({ x: [1, 2] }), `s3://${Bucket}/out.csv`, { client })',
        sends: ["PutObject"],
      },
    ],
  },
  {
    title: "Errors",
    rows: [
      {
        boto3: 'bucket.Object("missing").get()',
        resource: 'await bucket.object("missing").get()',
        client: 'await client.send(new GetObjectCommand({ Bucket, Key: "missing" }))',
        note: "boto3: `ClientError`, `e.response[\"Error\"][\"Code\"]`; the kit: `e instanceof NoSuchKey`, `e.name`",
        sends: ["GetObject"],
        error: "NoSuchKey",
        kernel: true,
      },
      {
        boto3: 'bucket.Object("missing").load()',
        resource: 'await bucket.object("missing").load()',
        client: 'await client.send(new HeadObjectCommand({ Bucket, Key: "missing" }))',
        note: "a HEAD's answer has no body: boto3 and the SDK say only `404` / `NotFound`; the kit's resource asks HeadBucket to tell a missing key from a missing bucket",
        sends: ["HeadObject", "HeadBucket"],
        clientSends: ["HeadObject"],
        boto3Sends: ["HeadObject"],
        error: "NoSuchKey",
        clientError: "NotFound",
        boto3Error: "404",
        kernel: true,
      },
    ],
  },
];

/** The rows in the order the notebook numbers them (1, 2, …). */
export function numberedRows(): Array<CheatRow & { number: number; section: string }> {
  let number = 0;
  return SECTIONS.flatMap((section) => section.rows.map((row) => ({ ...row, number: ++number, section: section.title })));
}

/**
 * A row's code as statements to run and the expression whose value is the row's result (none when
 * the last statement is a loop or a declaration).
 */
export function splitCode(code: string): { statements: string[]; result?: string } {
  const statements = code.split("; ");
  const last = statements.at(-1)!;
  return /^(for|const) /.test(last) ? { statements } : { statements: statements.slice(0, -1), result: last };
}

/** A row's code as a markdown table cell: inline code, pipes escaped. */
function codeCell(code: string | undefined): string {
  if (code === undefined) return "—";
  const ticks = code.includes("`") ? "`` " : "`";
  return `${ticks}${code.replace(/\|/g, "\\|")}${ticks === "`` " ? " ``" : "`"}`;
}

function sendsCell(row: CheatRow): string {
  const list = (ops: string[]) => (ops.length ? ops.join(", ") : "no request");
  const parts = [list(row.sends)];
  if (row.clientSends) parts[0] = `resource: ${list(row.sends)}; client: ${list(row.clientSends)}`;
  if (row.boto3Sends) parts.push(`boto3: ${list(row.boto3Sends)}`);
  return parts.join("; ");
}

export const INTRO = `# 14 · Cheat sheet

Every S3 operation the notebooks use, three ways: **boto3** (Python), the **s3kit resource**, and
the **client** (the AWS SDK v3's commands, paginators and waiters, or an s3kit function that takes
the client). The last column lists the requests the code sends, in order.

Every row is run by \`npm test\` (test/cheat-sheet.test.ts): the boto3 column with boto3, the
other two with s3kit, each against the same local S3 server under \`trace()\`, and each must send
exactly the requests listed (and give the same value where a row shows one). This page is
generated from that test's data (test/parity/cheat-sheet.ts), so it cannot say what the test
did not check.

The names the rows use:

| boto3 | TypeScript | what it is |
|---|---|---|
| \`s3 = boto3.resource("s3")\` | \`const { client, resource: s3 } = await connect()\` | the resource |
| \`client = s3.meta.client\` | \`client\` (also \`s3.meta.client\`) | the client under it |
| \`bucket = s3.Bucket(Bucket)\` | \`const bucket = s3.bucket(Bucket)\` | a bucket |
| \`obj = bucket.Object(Key)\` | \`const obj = bucket.object(Key)\` | an object, \`Key = "hello.txt"\` |
| \`file\`, \`dest\` | \`file\`, \`dest\` | a local file to upload; a path to download to |

Imports: the commands, paginators (\`paginateListObjectsV2\`) and waiters (\`waitUntilBucketExists\`)
come from \`@aws-sdk/client-s3\`, \`getSignedUrl\` from \`@aws-sdk/s3-request-presigner\`,
\`createPresignedPost\` from \`@aws-sdk/s3-presigned-post\`, \`DataFrame\` from \`danfojs-node\`, the
rest from \`s3kit\`. In boto3, \`pd\` is pandas.`;

/** The notebook's markdown cells: the intro, then one table per section with its rows' notes. */
export function cheatSheetMarkdown(): string[] {
  const rows = numberedRows();
  return [
    INTRO,
    ...SECTIONS.map((section) => {
      const mine = rows.filter((row) => row.section === section.title);
      return [
        `## ${section.title}`,
        "",
        "| # | boto3 | s3kit resource | client | sends |",
        "|---|---|---|---|---|",
        ...mine.map((row) => `| ${row.number} | ${codeCell(row.boto3)} | ${codeCell(row.resource)} | ${codeCell(row.client)} | ${sendsCell(row)} |`),
        ...(mine.some((row) => row.note) ? [""] : []),
        ...mine.filter((row) => row.note).map((row) => `- ${row.number}: ${row.note}`),
      ].join("\n");
    }),
    KERNEL_INTRO,
  ];
}

export const KERNEL_INTRO = `## The same rows in this kernel

\`npm test\` runs every row. The rows below also run here, in the notebook's own kernel, on the
kit's seeded bucket: each under \`trace()\`, printing the requests it sent.`;

/** The names a code cell imports, by the module they come from. */
const IMPORTS: Array<[RegExp, string]> = [
  [/(?<![.\w])(?:\w+Command|paginate\w+|waitUntil\w+)\b/g, "@aws-sdk/client-s3"],
  [/\bgetSignedUrl\b/g, "@aws-sdk/s3-request-presigner"],
];

const LINE = 88;

/** A row column's code as a call of `check(label, async () => ...)`, in lines of at most 88 characters. */
function checkCall(label: string, code: string): string[] {
  const { statements, result } = splitCode(code);
  const oneLine = `await check("${label}", async () => ${result});`;
  const lines =
    statements.length === 0 && oneLine.length <= LINE
      ? [oneLine]
      : statements.length === 0
        ? [`await check("${label}", async () =>`, `  ${result},`, ");"]
        : [
            `await check("${label}", async () => {`,
            ...[...statements, ...(result === undefined ? [] : [`return ${result}`])].map((line) => `  ${line};`),
            "});",
          ];
  const long = lines.find((line) => line.length > LINE);
  if (long) throw new Error(`a kernel row's line is longer than ${LINE} characters: ${long}`);
  return lines;
}

/** What runs in the notebook's kernel: its two code cells and the lines each check prints. */
export function kernelCells(): { setup: string; checks: string; expect: string[] } {
  const rows = numberedRows().filter((row) => row.kernel);
  const calls: string[] = [];
  const expect: string[] = [];
  for (const row of rows) {
    for (const column of ["resource", "client"] as const) {
      const code = row[column];
      if (code === undefined) continue;
      const sends = column === "client" ? row.clientSends ?? row.sends : row.sends;
      const error = column === "client" ? row.clientError ?? row.error : row.error;
      calls.push(...checkCall(`${row.number} ${column}`, code));
      expect.push(`${row.number} ${column} → ${sends.join(", ") || "no request"}${error ? ` (${error})` : ""}`);
    }
  }
  const source = calls.join("\n");
  const imports = IMPORTS.map(([names, from]) => {
    const used = [...new Set(source.match(names))].sort();
    return used.length ? `import { ${used.join(", ")} } from "${from}";` : "";
  }).filter(Boolean);
  const setup = [
    'import { connect, trace } from "s3kit";',
    ...imports.flatMap((line) => (line.length <= LINE ? [line] : wrapImport(line))),
    "",
    "const { client, resource: s3 } = await connect({ quiet: true });",
    'const Bucket = "s3kit-data";',
    'const Key = "samples/hello.txt";',
    "const bucket = s3.bucket(Bucket);",
    "const obj = bucket.object(Key);",
    "",
    "/** Runs one row's code under trace(); prints what it sent (and the error, if any). */",
    "async function check(row: string, code: () => Promise<unknown>) {",
    "  let failed = \"\";",
    "  const { requests } = await trace(() => code().catch(e => (failed = ` (${e.name})`)));",
    "  const sent = requests.map((r) => r.operation).join(\", \") || \"no request\";",
    "  console.log(`${row} → ${sent}${failed}`);",
    "}",
  ].join("\n");
  return { setup, checks: source, expect };
}

function wrapImport(line: string): string[] {
  const [, names, from] = line.match(/^import \{ (.*) \} from (.*);$/)!;
  return ["import {", ...names.split(", ").map((name) => `  ${name},`), `} from ${from};`];
}
