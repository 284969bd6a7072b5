import { Button } from "antd";

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => unknown;
}

/** "加载更多" under a cursor-paged list (useCursorPages), shown while there is a next page. */
export function LoadMore({ pages }: { pages: Pages }) {
  if (!pages.hasNextPage) return null;
  return (
    <div style={{ textAlign: "center", marginTop: 12 }}>
      <Button onClick={() => pages.fetchNextPage()} loading={pages.isFetchingNextPage}>
        加载更多
      </Button>
    </div>
  );
}
