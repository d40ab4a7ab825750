import { constants } from 'node:fs'
import { open } from 'node:fs/promises'

/**
 * Writes `text` to `path`: a new file, or with `force` an existing one, but never through a symbolic
 * link (O_EXCL and O_NOFOLLOW, checked by the system at the moment of writing, not only before).
 */
export async function writeNewFile (path: string, text: string, force: boolean): Promise<void> {
  const flags = force
    ? constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW
    : constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL
  const file = await open(path, flags, 0o644)
  try {
    await file.writeFile(text)
  } finally {
    await file.close()
  }
}
