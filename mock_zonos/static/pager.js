// Forward cursor paging with the way back remembered: what "Older" and "Newer" walk.

export class Pager {
  constructor({ older, newer, newest }, reload) {
    this.buttons = { older, newer, newest };
    this.after = null; // the cursor this page starts below; null for the newest page
    this.behind = []; // the `after` of each page before this one
    this.endCursor = null;
    this.hasOlder = false;
    older.addEventListener("click", () => {
      this.behind.push(this.after);
      this.after = this.endCursor;
      reload();
    });
    newer.addEventListener("click", () => {
      this.after = this.behind.pop() ?? null;
      reload();
    });
    newest?.addEventListener("click", () => {
      this.rewind();
      reload();
    });
  }

  get onNewestPage() {
    return this.after === null;
  }

  rewind() {
    this.after = null;
    this.behind = [];
  }

  // After a page arrived (or the newest page changed live): where "Older" goes next.
  update(endCursor, hasOlder) {
    this.endCursor = endCursor;
    this.hasOlder = hasOlder;
    this.buttons.older.disabled = !hasOlder;
    this.buttons.newer.disabled = this.onNewestPage;
    if (this.buttons.newest) this.buttons.newest.disabled = this.onNewestPage;
  }
}
