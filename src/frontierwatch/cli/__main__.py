from frontierwatch.cli import main

if __name__ == "__main__":  # worker processes (frontierwatch.workers) import this module without running it
    main()
