// zpl-image ships no types: the part we use (README "Node.js Usage").
declare module 'zpl-image' {
  interface GrfResult {
    length: number;
    rowlen: number;
    width: number;
    height: number;
    z64: string;
  }
  const zplImage: {
    rgbaToZ64(
      rgba: Uint8Array,
      width: number,
      options?: { black?: number; rotate?: 'N' | 'L' | 'R' | 'I'; notrim?: boolean },
    ): GrfResult;
  };
  export default zplImage;
}
