import { LitElement, html } from 'lit';
import { isTouch, notify } from '../../events.js';
import type { Strings } from '../../i18n/index.js';
import { sharedStyles } from '../../styles/shared.js';
import { maskPainterStyles } from './mask-painter.styles.js';

const UNDO_LIMIT = 20;
const STROKE_COLOR = '#ff3d71';

/**
 * @tagname dotbase-mask-painter
 *
 * Paints an inpainting mask over an image, at the image's natural size, and exports it the way the server expects:
 * a PNG of the same size, white where the model should repaint and black where it should keep.
 * Pointer (mouse, pen, touch) or keyboard: arrow keys move the brush, Space or Enter paints, Shift+arrows paint
 * while moving.
 *
 * @fires mask-change - internal: `{ painted }` after each stroke, undo or clear.
 * @csspart mask-canvas - the canvas over the image.
 */
export class DotbaseMaskPainter extends LitElement {
  static override styles = [sharedStyles, maskPainterStyles];
  static override properties = {
    src: {},
    strings: { attribute: false },
    brush: { state: true },
    mode: { state: true },
    cursor: { state: true },
    undoDepth: { state: true },
  };

  declare src: string;
  declare strings: Strings;
  /** Brush diameter in CSS pixels of the displayed image. */
  declare brush: number;
  declare mode: 'paint' | 'erase';
  /** Keyboard brush position, as fractions of the image. */
  declare cursor: { x: number; y: number } | null;
  declare undoDepth: number;
  private undoStack: ImageData[] = [];
  private lastPoint: { x: number; y: number } | null = null;
  private painted = false;

  constructor() {
    super();
    this.src = '';
    this.brush = 40;
    this.mode = 'paint';
    this.cursor = null;
    this.undoDepth = 0;
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  private get context(): CanvasRenderingContext2D | null {
    return this.canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
  }

  /** Whether any part of the image is marked for repainting. */
  hasMask(): boolean {
    const canvas = this.canvas;
    const context = this.context;
    if (!canvas || !context || canvas.width === 0 || !this.painted) return false;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return true;
    return false;
  }

  /** The mask as a PNG: white = repaint, black = keep, the image's natural size. */
  async toBlob(): Promise<Blob> {
    const source = this.canvas;
    if (!source) throw new Error('[dotbase] [mask-painter] the image has not loaded yet');
    const white = document.createElement('canvas');
    white.width = source.width;
    white.height = source.height;
    const whiteContext = white.getContext('2d')!;
    whiteContext.drawImage(source, 0, 0);
    whiteContext.globalCompositeOperation = 'source-in';
    whiteContext.fillStyle = '#fff';
    whiteContext.fillRect(0, 0, white.width, white.height);
    const mask = document.createElement('canvas');
    mask.width = source.width;
    mask.height = source.height;
    const maskContext = mask.getContext('2d')!;
    maskContext.fillStyle = '#000';
    maskContext.fillRect(0, 0, mask.width, mask.height);
    maskContext.drawImage(white, 0, 0);
    return new Promise((resolve, reject) => mask.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('[dotbase] [mask-painter] could not encode the mask'))), 'image/png'));
  }

  override focus(): void {
    this.canvas?.focus();
  }

  private onImageLoad(event: Event): void {
    const image = event.target as HTMLImageElement;
    const canvas = this.canvas;
    if (!canvas) return;
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    this.undoStack = [];
    this.undoDepth = 0;
    this.painted = false;
    notify(this, 'mask-change', { painted: false });
  }

  /** Converts CSS pixels on the canvas to canvas pixels (the image's natural size). */
  private scale(): number {
    const canvas = this.canvas;
    return canvas && canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : 1;
  }

  private snapshot(): void {
    const canvas = this.canvas;
    const context = this.context;
    if (!canvas || !context || canvas.width === 0) return;
    this.undoStack.push(context.getImageData(0, 0, canvas.width, canvas.height));
    if (this.undoStack.length > UNDO_LIMIT) this.undoStack.shift();
    this.undoDepth = this.undoStack.length;
  }

  private stroke(from: { x: number; y: number }, to: { x: number; y: number }): void {
    const context = this.context;
    if (!context) return;
    context.globalCompositeOperation = this.mode === 'erase' ? 'destination-out' : 'source-over';
    context.strokeStyle = STROKE_COLOR;
    context.fillStyle = STROKE_COLOR;
    context.lineWidth = this.brush * this.scale();
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    if (this.mode === 'paint') this.painted = true;
  }

  private changed(): void {
    notify(this, 'mask-change', { painted: this.hasMask() });
  }

  private point(event: PointerEvent): { x: number; y: number } {
    const rect = this.canvas!.getBoundingClientRect();
    const scale = this.scale();
    return { x: (event.clientX - rect.left) * scale, y: (event.clientY - rect.top) * scale };
  }

  private onPointerDown(event: PointerEvent): void {
    if (event.button !== 0) return;
    event.preventDefault();
    this.canvas!.setPointerCapture(event.pointerId);
    this.snapshot();
    this.lastPoint = this.point(event);
    this.stroke(this.lastPoint, this.lastPoint);
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.lastPoint) return;
    const next = this.point(event);
    this.stroke(this.lastPoint, next);
    this.lastPoint = next;
  }

  private onPointerUp(): void {
    if (!this.lastPoint) return;
    this.lastPoint = null;
    this.changed();
  }

  private onKeydown(event: KeyboardEvent): void {
    const canvas = this.canvas;
    if (!canvas || canvas.width === 0) return;
    const cursor = this.cursor ?? { x: 0.5, y: 0.5 };
    const step = 0.04;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[event.key];
    const clamp = (value: number) => Math.min(1, Math.max(0, value));
    const toCanvas = (c: { x: number; y: number }) => ({ x: c.x * canvas.width, y: c.y * canvas.height });
    if (move) {
      event.preventDefault();
      const next = { x: clamp(cursor.x + move[0]), y: clamp(cursor.y + move[1]) };
      if (event.shiftKey) {
        this.snapshot();
        this.stroke(toCanvas(cursor), toCanvas(next));
        this.changed();
      }
      this.cursor = next;
    } else if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      this.snapshot();
      this.stroke(toCanvas(cursor), toCanvas(cursor));
      this.cursor = cursor;
      this.changed();
    }
  }

  private undo(): void {
    const previous = this.undoStack.pop();
    this.undoDepth = this.undoStack.length;
    if (previous) this.context?.putImageData(previous, 0, 0);
    this.changed();
  }

  private clear(): void {
    const canvas = this.canvas;
    if (!canvas) return;
    this.snapshot();
    this.context?.clearRect(0, 0, canvas.width, canvas.height);
    this.painted = false;
    this.changed();
  }

  override render() {
    const s = this.strings.mask;
    const cursor = this.cursor;
    return html`
      <div class="head">
        <span class="label" id="mask-label">${s.label}</span>
        <span class="hint" id="mask-hint">${s.hint}${isTouch() ? '' : ` ${s.keys}`}</span>
      </div>
      <div class="tools" role="toolbar" aria-label=${s.label}>
        <div class="modes" role="group">
          <button type="button" class="small" aria-pressed=${this.mode === 'paint' ? 'true' : 'false'} @click=${() => (this.mode = 'paint')}>${s.paint}</button>
          <button type="button" class="small" aria-pressed=${this.mode === 'erase' ? 'true' : 'false'} @click=${() => (this.mode = 'erase')}>${s.erase}</button>
        </div>
        <label class="brush">
          <span class="brush-text">${s.brush}</span>
          <input type="range" min="4" max="120" step="2" .value=${String(this.brush)} @input=${(e: Event) => (this.brush = Number((e.target as HTMLInputElement).value))} />
          <output>${this.brush}</output>
        </label>
        <button type="button" class="small" ?disabled=${this.undoDepth === 0} @click=${this.undo}>${s.undo}</button>
        <button type="button" class="small" @click=${this.clear}>${s.clear}</button>
      </div>
      <div class="stage">
        <img src=${this.src} alt="" @load=${this.onImageLoad} />
        <canvas
          part="mask-canvas"
          tabindex="0"
          role="application"
          aria-label=${s.canvas}
          aria-describedby="mask-hint"
          @pointerdown=${this.onPointerDown}
          @pointermove=${this.onPointerMove}
          @pointerup=${this.onPointerUp}
          @pointercancel=${this.onPointerUp}
          @keydown=${this.onKeydown}
          @focus=${() => (this.cursor = this.cursor ?? { x: 0.5, y: 0.5 })}
        ></canvas>
        ${cursor
          ? html`<span class="cursor" style="left:${cursor.x * 100}%;top:${cursor.y * 100}%;width:${this.brush}px;height:${this.brush}px"></span>`
          : null}
      </div>
    `;
  }
}
