// One s3kit scenario of anchors.bench.ts (and csv.bench.ts's chunked read), in a process of its
// own, as a learner's script would run it: plain Node (no TypeScript loader), `import` of s3kit,
// connect(), the work. The bench times the whole process; this prints the process's peak RSS and
// CPU time (worker threads included) as its last line.
import { connect, downloadFile, readCsv, readCsvChunks, uploadFile } from "s3kit";
import { peakRssKib } from "./peak-rss.mjs";

const { scenario, endpoint, bucket, key, file, prefix } = JSON.parse(process.argv[2]);
const { client, resource } = await connect({ endpoint, quiet: true });
let result;
if (scenario === "csv") result = (await readCsv(`s3://${bucket}/${key}`)).shape;
else if (scenario === "chunks") {
  result = 0;
  for await (const chunk of readCsvChunks(`s3://${bucket}/${key}`, { chunkSize: 50_000 })) result += chunk.shape[0];
}
else if (scenario === "download") result = (await downloadFile(client, bucket, key, file)).size;
else if (scenario === "upload") result = (await uploadFile(client, file, bucket, key)).size;
else if (scenario === "list") result = (await resource.bucket(bucket).objects.filter({ Prefix: prefix }).toArray()).length;
client.destroy();
const { userCPUTime, systemCPUTime } = process.resourceUsage();
console.log(JSON.stringify({ result, peakRssMb: peakRssKib() / 1024, cpuSeconds: (userCPUTime + systemCPUTime) / 1e6 }));
