def main():
    print("m")
if __name__ == "__main__":
    main()
