// The e-mail benchmark's baseline, in a process of its own like the worker it is compared with:
// nodemailer alone sends one pre-rendered message `count` times to the SMTP sink, over a pool of
// `poolSize` connections with `concurrency` messages in flight.
// argv[2]: {"smtpUrl": "smtp://127.0.0.1:2525", "messageFile": "/tmp/…json", "count": 2000, "poolSize": 5, "concurrency": 8}
// Prints one JSON line: {"seconds": …}.
import { readFileSync } from "node:fs";
import nodemailer from "nodemailer";
import type Mail from "nodemailer/lib/mailer";

interface Task {
  smtpUrl: string;
  messageFile: string;
  count: number;
  poolSize: number;
  concurrency: number;
}

const task = JSON.parse(process.argv[2]!) as Task;
const message = JSON.parse(readFileSync(task.messageFile, "utf8")) as Mail.Options;
const url = new URL(task.smtpUrl);
const transporter = nodemailer.createTransport({
  pool: true,
  host: url.hostname,
  port: Number(url.port),
  maxConnections: task.poolSize,
  maxMessages: 1000,
});

let next = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: task.concurrency }, async () => {
    while (next++ < task.count) await transporter.sendMail(message);
  }),
);
const seconds = (performance.now() - start) / 1000;
transporter.close();
process.stdout.write(`${JSON.stringify({ seconds })}\n`);
process.exit(0);
