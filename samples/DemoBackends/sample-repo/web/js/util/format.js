/**
 * Formatting helpers.
 */
export function formatBytes(bytes) {
  if (bytes < 1024) {
    return bytes + " B";
  }
  return (bytes / 1024).toFixed(1) + " KiB";
}

export const pad = (text, width) => text.padStart(width, " ");
