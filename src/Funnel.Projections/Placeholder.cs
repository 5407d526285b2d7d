namespace Funnel.Projections; public static class Placeholder {}
