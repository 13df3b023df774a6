import { requestedProjectId } from './request-context';

describe('requestedProjectId', () => {
  it('takes the project query param first, then the X-Appwrite-Project header', () => {
    expect(requestedProjectId({ headers: { 'x-appwrite-project': 'from-header' }, query: { project: 'from-query' } })).toBe('from-query');
    expect(requestedProjectId({ headers: { 'x-appwrite-project': 'from-header' }, query: { project: '' } })).toBe('from-header');
    expect(requestedProjectId({ headers: { 'x-appwrite-project': 'from-header' } })).toBe('from-header');
  });

  it('is undefined when the request names no project', () => {
    expect(requestedProjectId({ headers: {}, query: { project: ['a'] } })).toBeUndefined();
  });
});
