import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { Participant } from '@parley/protocol';
import { toolLabel, type ModerationTool } from './permissions';

/**
 * The moderation tools for one participant, as a menu button (WAI-ARIA APG "menu button"): the button
 * reads "Actions for Ben"; its menu items carry the name too ("Mute Ben", "Remove Ben"), so each makes
 * sense on its own in a screen reader's list of controls or to voice control. Arrow keys, Home and
 * End move between items, Escape closes the menu and returns focus to the button, Tab closes it.
 */
export function ModerationMenu({
  participant,
  tools,
  disabled,
  onSelect,
  safety = false,
}: {
  participant: Participant;
  tools: readonly ModerationTool[];
  disabled: boolean;
  onSelect(tool: ModerationTool, participant: Participant): void;
  /** The personal safety menu ("Report or block Ben": report, block) rather than the moderation one. */
  safety?: boolean;
}) {
  const [open, setOpen] = useState<false | 'first' | 'last'>(false);
  const container = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLUListElement>(null);
  const id = useId();

  // The last tool can go while the menu is open (someone else muted the person): close it, so it
  // does not spring open again, stealing focus, when a tool comes back.
  const hasTools = tools.length > 0;
  useEffect(() => {
    if (!hasTools) setOpen(false);
  }, [hasTools]);

  const items = () => Array.from(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]') ?? []);

  useEffect(() => {
    if (!open) return;
    const list = items();
    (open === 'last' ? list[list.length - 1] : list[0])?.focus();
    // A click anywhere else closes the menu, as a native menu would.
    const onPointerDown = (event: PointerEvent) => {
      if (!container.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  const close = (returnFocus: boolean) => {
    setOpen(false);
    if (returnFocus) button.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const focus = (index: number) => list[(index + list.length) % list.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        focus(at + 1);
        break;
      case 'ArrowUp':
        focus(at - 1);
        break;
      case 'Home':
        focus(0);
        break;
      case 'End':
        focus(list.length - 1);
        break;
      case 'Escape':
        close(true);
        break;
      case 'Tab':
        close(false);
        return;
      default:
        return;
    }
    event.preventDefault();
  };

  const onButtonKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(event.key === 'ArrowUp' ? 'last' : 'first');
    }
  };

  if (!hasTools) return null;
  const name = participant.displayName;
  return (
    <div className="menu-anchor" ref={container}>
      <button
        ref={button}
        id={`${id}-button`}
        type="button"
        className="button small"
        aria-haspopup="menu"
        aria-expanded={open !== false}
        aria-controls={open ? `${id}-menu` : undefined}
        disabled={disabled}
        onClick={() => setOpen(open ? false : 'first')}
        onKeyDown={onButtonKeyDown}
        data-moderation-menu={safety ? undefined : participant.id}
        data-safety-menu={safety ? participant.id : undefined}
        // The name alone must not be a text node of its own in the row: the row is found by it.
        aria-label={safety ? `Report or block ${name}` : undefined}
      >
        {safety ? (
          'Report or block'
        ) : (
          <>
            Actions<span className="visually-hidden"> for {name}</span>
          </>
        )}
        <span aria-hidden="true"> ▾</span>
      </button>
      {open && (
        <ul ref={menu} id={`${id}-menu`} role="menu" aria-labelledby={`${id}-button`} className="menu" onKeyDown={onMenuKeyDown}>
          {tools.map((tool) => (
            <li key={tool} role="none">
              <button
                type="button"
                role="menuitem"
                tabIndex={-1}
                className={tool === 'remove' ? 'menu-item danger' : 'menu-item'}
                onClick={() => {
                  close(true);
                  onSelect(tool, participant);
                }}
              >
                {toolLabel(tool, name)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
