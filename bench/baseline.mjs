// The benchmark's baseline: a bare node:http server that reads the whole body and answers 200.
import http from "node:http";

const server = http.createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": 11 });
    res.end('{"ok":true}');
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
