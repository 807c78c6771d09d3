// node-zookeeper-client's jute records, used by tests only: an independent encoder to build what a
// server sends, and to check our own request encoding against (src/zk/wire/requests.ts).
/* eslint-disable @typescript-eslint/no-explicit-any */
export const jute: any = require('node-zookeeper-client/lib/jute');
