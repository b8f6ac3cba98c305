/**
 * Offers text as a file to save, as the browser does for a download (evidence bundles, CSV
 * reports, OSCAL documents).
 *
 * @public
 */
export function downloadText(filename: string, text: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked once the browser has taken the file.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
