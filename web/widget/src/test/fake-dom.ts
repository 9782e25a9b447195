/*
 * A minimal DOM for unit tests (no jsdom in the tree): enough for shared/dom.ts and
 * panel/render.ts. Setting innerHTML / outerHTML or calling insertAdjacentHTML throws, so a test
 * proves the code under test never parses data as HTML.
 */

export class FakeNode {
  parentNode: FakeElement | null = null;
  childNodes: FakeNode[] = [];
  constructor(readonly nodeType: number) {}
  get textContent(): string {
    return this.childNodes.map((child) => child.textContent).join('');
  }
}

export class FakeText extends FakeNode {
  constructor(public data: string) {
    super(3);
  }
  override get textContent(): string {
    return this.data;
  }
}

export class FakeElement extends FakeNode {
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, unknown[]>();
  constructor(
    readonly tagName: string,
    readonly namespaceURI: string | null = null,
  ) {
    super(1);
  }
  setAttribute(name: string, value: string): void {
    if (/^on/i.test(name)) throw new Error(`event handler attribute ${name} set from data`);
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }
  addEventListener(type: string, listener: unknown): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  appendChild<T extends FakeNode>(child: T): T {
    child.parentNode?.childNodes.splice(child.parentNode.childNodes.indexOf(child), 1);
    child.parentNode = this;
    this.childNodes.push(child);
    return child;
  }
  override get textContent(): string {
    return super.textContent;
  }
  override set textContent(value: string) {
    this.childNodes = [new FakeText(value)];
  }
  set innerHTML(_value: string) {
    throw new Error('innerHTML used');
  }
  set outerHTML(_value: string) {
    throw new Error('outerHTML used');
  }
  insertAdjacentHTML(): void {
    throw new Error('insertAdjacentHTML used');
  }
  get children(): FakeElement[] {
    return this.childNodes.filter((child): child is FakeElement => child instanceof FakeElement);
  }
  /** Every element below, depth first. */
  descendants(): FakeElement[] {
    return this.children.flatMap((child) => [child, ...child.descendants()]);
  }
}

export const fakeDocument = {
  created: [] as FakeElement[],
  createElement(tag: string): FakeElement {
    const element = new FakeElement(tag.toUpperCase());
    this.created.push(element);
    return element;
  },
  createElementNS(namespace: string, tag: string): FakeElement {
    const element = new FakeElement(tag, namespace);
    this.created.push(element);
    return element;
  },
  createTextNode(data: string): FakeText {
    return new FakeText(data);
  },
};
