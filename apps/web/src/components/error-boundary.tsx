import { Component, type ErrorInfo, type ReactNode } from "react";

interface Props {
  fallback: (error: unknown, reset: () => void) => ReactNode;
  children: ReactNode;
}

/** Catches a page that fails to render (or whose chunk fails to load): never a blank page. */
export class ErrorBoundary extends Component<Props, { error: unknown }> {
  override state = { error: undefined as unknown };

  static getDerivedStateFromError(error: unknown) {
    return { error: error ?? new Error("unknown error") };
  }

  override componentDidCatch(_error: unknown, _info: ErrorInfo) {
    // The fallback shows the problem; nothing is sent anywhere.
  }

  override render() {
    if (this.state.error !== undefined)
      return this.props.fallback(this.state.error, () => this.setState({ error: undefined }));
    return this.props.children;
  }
}
