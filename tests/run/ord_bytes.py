# ord() of one-byte bytes
print(ord(b"p"), ord(bytes([200])), ord("\u00e9"))
for bad in (b"", b"ab"):
    try:
        ord(bad)
    except TypeError as e:
        print("TypeError", e)
