import type { ReactNode, Ref } from 'react';

/** The top of a live room's page: the "Live" badge, the title as the page's h1, then any details. */
export function RoomHeading({
  title,
  headingRef,
  children,
}: {
  title: string;
  /** Given when the page moves focus to the heading (it then takes focus from script only). */
  headingRef?: Ref<HTMLHeadingElement>;
  children?: ReactNode;
}) {
  return (
    <header className="room-header">
      <p className="live-badge">
        <span aria-hidden="true">●</span> Live
      </p>
      <h1 ref={headingRef} tabIndex={headingRef ? -1 : undefined}>
        {title}
      </h1>
      {children}
    </header>
  );
}
