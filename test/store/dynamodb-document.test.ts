import { toWireMap } from '../../functions/store/dynamodb-document';

describe('toWireMap', () => {
  it('marshals an item as DynamoDB takes it, leaving out undefined attributes at every depth', () => {
    expect(toWireMap({ PK: 'CONTRACT#1', version: 2, contract: { cancellation: undefined, services: { edr: 5 } }, gone: undefined })).toEqual({
      PK: { S: 'CONTRACT#1' },
      version: { N: '2' },
      contract: { M: { services: { M: { edr: { N: '5' } } } } },
    });
  });
});
