// Express 4 and Koa 2, installed under aliases for the compatibility runs; their types are not.
// The test harness casts them to the types of Express 5 and Koa 3, their APIs used here being the same.
declare module 'express4' {
  const express4: unknown;
  export default express4;
}

declare module 'koa2' {
  const Koa2: unknown;
  export default Koa2;
}
